import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { mapPage, Clock } from '@common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrors, ApiPathIds, PageQueryDto } from '@http';
import { MessagePageDto, MessageResponseDto } from './dto/message-response.dto';
import { ConversationsService } from './conversations.service';
import { ConversationPageDto, ConversationResponseDto } from './dto/conversation-response.dto';
import { PauseConversationDto } from './dto/pause-conversation.dto';

@ApiTags('conversations')
@AdminApi()
@ApiPathIds('accountId')
@Controller('accounts/:accountId/conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'listConversations', summary: 'the account’s conversations, newest activity first' })
  @ApiOkResponse({ type: ConversationPageDto, description: 'one page of conversations' })
  @ApiErrors('account_not_found')
  async list(@Param('accountId') accountId: string, @Query() query: PageQueryDto): Promise<ConversationPageDto> {
    const page = await this.conversations.list(accountId, query.limit, query.cursor ?? null);
    const now = this.clock.now();
    return mapPage(page, (conversation) => ConversationResponseDto.from(conversation, now));
  }

  @Get(':conversationId/messages')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'listConversationMessages',
    summary: 'the conversation’s messages in both directions, in Meta’s timestamp order',
  })
  @ApiPathIds('conversationId')
  @ApiOkResponse({ type: MessagePageDto, description: 'one page of messages, oldest first' })
  @ApiErrors('account_not_found', 'conversation_not_found')
  async history(
    @Param('accountId') accountId: string,
    @Param('conversationId') conversationId: string,
    @Query() query: PageQueryDto,
  ): Promise<MessagePageDto> {
    const page = await this.conversations.history(accountId, conversationId, query.limit, query.cursor ?? null);
    return mapPage(page, (message) => MessageResponseDto.from(message));
  }

  @Post(':conversationId/pause')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'pauseConversation',
    summary: 'stop automatic replies in this conversation (for `minutes`, or until resumed)',
  })
  @ApiPathIds('conversationId')
  @ApiBody({ type: PauseConversationDto, required: false, description: 'no body: until resumed' })
  @ApiOkResponse({ type: ConversationResponseDto, description: 'the conversation, paused' })
  @ApiErrors('account_not_found', 'conversation_not_found')
  async pause(
    @Param('accountId') accountId: string,
    @Param('conversationId') conversationId: string,
    @Body() body: PauseConversationDto,
  ): Promise<ConversationResponseDto> {
    return ConversationResponseDto.from(
      await this.conversations.pause(accountId, conversationId, body.minutes),
      this.clock.now(),
    );
  }

  @Post(':conversationId/resume')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'resumeConversation', summary: 'restart automatic replies in this conversation' })
  @ApiPathIds('conversationId')
  @ApiOkResponse({ type: ConversationResponseDto, description: 'the conversation, no longer paused' })
  @ApiErrors('account_not_found', 'conversation_not_found')
  async resume(
    @Param('accountId') accountId: string,
    @Param('conversationId') conversationId: string,
  ): Promise<ConversationResponseDto> {
    return ConversationResponseDto.from(await this.conversations.resume(accountId, conversationId), this.clock.now());
  }
}
