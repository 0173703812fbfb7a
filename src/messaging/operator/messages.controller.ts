import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { AdminApi, ApiErrors, ApiPathIds } from '@http';
import { MessageResponseDto } from '../history/dto/message-response.dto';
import type { Message } from '../message';
import { SEND_MESSAGE_BODY, SEND_MESSAGE_EXAMPLES, SendMessageDto } from './dto/send-message.dto';
import { ReactionDto } from './dto/sender-action.dto';
import { OperatorMessagesService } from './operator-messages.service';
import { SenderActionsService } from './sender-actions.service';

/** The queued message (its first part), with the ids of all its parts when a long text was split. */
export class QueuedMessageResponseDto extends MessageResponseDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    description: 'every part in sending order, this one first',
    example: ['019ac4a2-9c32-7f40-8b5d-3e4f5a6b7c8d'],
  })
  partIds!: string[];

  static ofParts(parts: Message[]): QueuedMessageResponseDto {
    return Object.assign(new QueuedMessageResponseDto(), MessageResponseDto.from(parts[0]), {
      partIds: parts.map((part) => part.id),
    });
  }
}

@ApiTags('messages')
@AdminApi()
@ApiPathIds('accountId')
@ApiExtraModels(SendMessageDto)
@Controller('accounts/:accountId/messages')
export class MessagesController {
  constructor(
    private readonly messages: OperatorMessagesService,
    private readonly actions: SenderActionsService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'sendMessage',
    summary: 'queue a message written by an operator',
    description:
      'Sent as soon as possible by the outbox; follow it with `getMessage`. ' +
      '422 when it would be outside the messaging window (nothing is queued), or the username is unknown; ' +
      'while the account’s token is invalid it is queued and held.',
  })
  @ApiBody({ schema: SEND_MESSAGE_BODY, examples: SEND_MESSAGE_EXAMPLES })
  @ApiAcceptedResponse({ type: QueuedMessageResponseDto, description: 'the message, queued' })
  @ApiErrors(
    'account_not_found',
    'account_inactive',
    'template_not_found',
    'recipient_not_found',
    'outside_messaging_window',
  )
  async send(@Param('accountId') accountId: string, @Body() body: SendMessageDto): Promise<QueuedMessageResponseDto> {
    return QueuedMessageResponseDto.ofParts(await this.messages.queue(accountId, body.toOperatorMessage()));
  }

  @Put(':messageId/reaction')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'reactToMessage',
    summary: 'react to a customer’s message, now',
    description:
      'Sent to Meta at once (sender action `react`), not queued; the message then shows it as `ourReaction`. ' +
      'Only a message the customer sent (400 otherwise); 422 outside the 24-hour window (Meta is not called) and when Meta refuses it or the token; 502 when Meta cannot be reached or fails.',
  })
  @ApiPathIds('messageId')
  @ApiOkResponse({ type: MessageResponseDto, description: 'the message, with its `ourReaction`' })
  @ApiErrors(
    'account_not_found',
    'account_inactive',
    'message_not_found',
    'outside_messaging_window',
    'token_rejected',
    'graph_api_rejected',
    'graph_api_unavailable',
  )
  async react(
    @Param('accountId') accountId: string,
    @Param('messageId') messageId: string,
    @Body() body: ReactionDto,
  ): Promise<MessageResponseDto> {
    return MessageResponseDto.from(await this.actions.react(accountId, messageId, body.reaction));
  }

  @Delete(':messageId/reaction')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'removeReaction',
    summary: 'take back the account’s reaction to a customer’s message, now',
    description: 'Sender action `unreact`, at once; the same refusals as reacting.',
  })
  @ApiPathIds('messageId')
  @ApiNoContentResponse({ description: 'the reaction is removed' })
  @ApiErrors(
    'account_not_found',
    'account_inactive',
    'message_not_found',
    'outside_messaging_window',
    'token_rejected',
    'graph_api_rejected',
    'graph_api_unavailable',
  )
  async unreact(@Param('accountId') accountId: string, @Param('messageId') messageId: string): Promise<void> {
    await this.actions.react(accountId, messageId, null);
  }

  @Get(':messageId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'getMessage', summary: 'one message with its delivery status, attempts and last error' })
  @ApiPathIds('messageId')
  @ApiOkResponse({ type: MessageResponseDto, description: 'the message' })
  @ApiErrors('account_not_found', 'message_not_found')
  async get(@Param('accountId') accountId: string, @Param('messageId') messageId: string): Promise<MessageResponseDto> {
    return MessageResponseDto.from(await this.messages.get(accountId, messageId));
  }
}
