import { Controller, Get, HttpCode, HttpStatus, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountsService } from '@accounts';
import { AdminApi, ApiErrors, ApiPathIds } from '@http';
import { MentionListQueryDto, MentionPageDto } from './dto/mention.dto';
import { Mentions } from './mentions';

@ApiTags('mentions')
@AdminApi()
@ApiPathIds('accountId')
@Controller('accounts/:accountId/mentions')
export class MentionsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly mentions: Mentions,
  ) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'listMentions',
    summary: 'where the account was @mentioned (comments and captions), newest first',
    description:
      'From the `mentions` webhook field, each kept once. Meta names the media and the comment only; ' +
      'who wrote it and what it says are read from the Graph API (`mentioned_comment`, `mentioned_media`).',
  })
  @ApiOkResponse({ type: MentionPageDto, description: 'one page of mentions' })
  @ApiErrors('account_not_found')
  async list(@Param('accountId') accountId: string, @Query() query: MentionListQueryDto): Promise<MentionPageDto> {
    await this.accounts.get(accountId);
    const filter = { mediaId: query.mediaId };
    return MentionPageDto.from(await this.mentions.list(accountId, filter, query.limit, query.cursor ?? null));
  }
}
