import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrorResponses } from '../../common/admin-api/admin-api.decorator';
import { PageQueryDto } from '../../common/page-query.dto';
import { MessagePageDto, MessageResponseDto } from '../dto/message-response.dto';
import { ConversationsService } from './conversations.service';
import { ConversationPageDto, ConversationResponseDto } from './dto/conversation-response.dto';
import { PauseConversationDto } from './dto/pause-conversation.dto';

@ApiTags('conversations')
@AdminApi()
@Controller('accounts/:accountId/conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'the account’s conversations, newest activity first' })
  @ApiOkResponse({ type: ConversationPageDto })
  @ApiErrorResponses(400, 404)
  async list(@Param('accountId') accountId: string, @Query() query: PageQueryDto): Promise<ConversationPageDto> {
    const page = await this.conversations.list(accountId, query.limit, query.cursor ?? null);
    return { items: page.items.map((c) => ConversationResponseDto.from(c)), nextCursor: page.nextCursor };
  }

  @Get(':conversationId/messages')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'the conversation’s messages in both directions, in Meta’s timestamp order' })
  @ApiOkResponse({ type: MessagePageDto })
  @ApiErrorResponses(400, 404)
  async history(
    @Param('accountId') accountId: string,
    @Param('conversationId') conversationId: string,
    @Query() query: PageQueryDto,
  ): Promise<MessagePageDto> {
    const page = await this.conversations.history(accountId, conversationId, query.limit, query.cursor ?? null);
    return { items: page.items.map((m) => MessageResponseDto.from(m)), nextCursor: page.nextCursor };
  }

  @Post(':conversationId/pause')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'stop automatic replies in this conversation (for `minutes`, or until resumed)' })
  @ApiOkResponse({ type: ConversationResponseDto })
  @ApiErrorResponses(400, 404)
  async pause(
    @Param('accountId') accountId: string,
    @Param('conversationId') conversationId: string,
    @Body() body: PauseConversationDto,
  ): Promise<ConversationResponseDto> {
    return ConversationResponseDto.from(await this.conversations.pause(accountId, conversationId, body.minutes));
  }

  @Post(':conversationId/resume')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'restart automatic replies in this conversation' })
  @ApiOkResponse({ type: ConversationResponseDto })
  @ApiErrorResponses(404)
  async resume(
    @Param('accountId') accountId: string,
    @Param('conversationId') conversationId: string,
  ): Promise<ConversationResponseDto> {
    return ConversationResponseDto.from(await this.conversations.resume(accountId, conversationId));
  }
}
