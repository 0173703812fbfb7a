import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrors, ApiPathIds } from '@http';
import { UnroutableEvents } from '@messaging';
import {
  ReplayCountsResponseDto,
  UnroutableEventListQueryDto,
  UnroutableEventPageDto,
} from './dto/unroutable-event.dto';
import { UnroutableReplayService } from './unroutable-replay.service';

@ApiTags('unroutable events')
@AdminApi()
@Controller()
export class UnroutableEventsController {
  constructor(
    private readonly kept: UnroutableEvents,
    private readonly replayer: UnroutableReplayService,
  ) {}

  @Get('unroutable-events')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'listUnroutableEvents',
    summary: 'webhook entries no account could apply, newest first',
    description:
      'Kept, never dropped: entries for an Instagram account not registered (or inactive) when they came, ' +
      'entries for another account on a per-account route, events without a participant.',
  })
  @ApiOkResponse({ type: UnroutableEventPageDto, description: 'one page of kept entries' })
  @ApiErrors()
  async list(@Query() query: UnroutableEventListQueryDto): Promise<UnroutableEventPageDto> {
    const filter = { entryId: query.entryId, reason: query.reason };
    return UnroutableEventPageDto.from(await this.kept.list(filter, query.limit, query.cursor ?? null));
  }

  @Post('accounts/:accountId/replay-unroutable')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiPathIds('accountId')
  @ApiOperation({
    operationId: 'replayUnroutable',
    summary: 'apply to the account the entries kept for its Instagram id',
    description:
      'Each kept entry whose `entry.id` is the account’s `igUserId` and whose delivery verifies with the ' +
      'account’s own app secret is stored, once by mid, with `source: replay`, never answered automatically, ' +
      'and marked applied. An entry signed with another app’s secret stays kept.',
  })
  @ApiAcceptedResponse({ type: ReplayCountsResponseDto, description: 'what became of the kept entries' })
  @ApiErrors('account_not_found', 'account_inactive', 'intake_overloaded')
  async replay(@Param('accountId') accountId: string): Promise<ReplayCountsResponseDto> {
    return ReplayCountsResponseDto.from(await this.replayer.replay(accountId));
  }
}
