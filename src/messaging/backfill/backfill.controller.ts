import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrors, ApiPathIds } from '@http';
import { BackfillService } from './backfill.service';
import { BackfillJobResponseDto, StartBackfillDto } from './dto/backfill-job.dto';

@ApiTags('backfill')
@AdminApi()
@ApiPathIds('accountId')
@Controller('accounts/:accountId/backfill')
export class BackfillController {
  constructor(private readonly backfill: BackfillService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'startBackfill',
    summary: 'recover the messages Meta holds and the database lacks',
    description:
      'Reads the account’s conversations updated since `since` through Meta’s Conversations API (2 calls per ' +
      'second), and stores each missing message once by its mid, with `source: backfill`; none is answered ' +
      'automatically. Follow the job with `getBackfill`. One job per account runs at a time.',
  })
  @ApiAcceptedResponse({ type: BackfillJobResponseDto, description: 'the job, queued' })
  @ApiErrors('account_not_found', 'account_inactive', 'backfill_in_progress')
  async start(@Param('accountId') accountId: string, @Body() body: StartBackfillDto): Promise<BackfillJobResponseDto> {
    return BackfillJobResponseDto.from(await this.backfill.start(accountId, body.since));
  }

  @Get(':jobId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'getBackfill', summary: 'a backfill job: its status and counts' })
  @ApiPathIds('jobId')
  @ApiOkResponse({ type: BackfillJobResponseDto, description: 'the job' })
  @ApiErrors('account_not_found', 'backfill_job_not_found')
  async get(@Param('accountId') accountId: string, @Param('jobId') jobId: string): Promise<BackfillJobResponseDto> {
    return BackfillJobResponseDto.from(await this.backfill.get(accountId, jobId));
  }
}
