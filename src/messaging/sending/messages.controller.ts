import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrorResponses } from '../../common/admin-api/admin-api.decorator';
import { MessageResponseDto } from '../dto/message-response.dto';
import type { Message } from '../messages/message';
import { SendMessageDto } from './dto/send-message.dto';
import { OperatorMessagesService } from './operator-messages.service';

/** The queued message (its first part), with the ids of all its parts when a long text was split. */
export class QueuedMessageResponseDto extends MessageResponseDto {
  @ApiProperty({ type: [String], description: 'every part in sending order, this one first' })
  partIds!: string[];

  static ofParts(parts: Message[]): QueuedMessageResponseDto {
    return Object.assign(new QueuedMessageResponseDto(), MessageResponseDto.from(parts[0]), {
      partIds: parts.map((part) => part.id),
    });
  }
}

@ApiTags('messages')
@AdminApi()
@Controller('accounts/:accountId/messages')
export class MessagesController {
  constructor(private readonly messages: OperatorMessagesService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'queue a message written by an operator',
    description:
      'Sent as soon as possible by the outbox; follow it with GET /accounts/:id/messages/:messageId. ' +
      '422 when it would be outside the messaging window (nothing is queued), or the username is unknown; ' +
      'while the account’s token is invalid it is queued and held.',
  })
  @ApiAcceptedResponse({ type: QueuedMessageResponseDto })
  @ApiErrorResponses(400, 404, 409, 422)
  async send(@Param('accountId') accountId: string, @Body() body: SendMessageDto): Promise<QueuedMessageResponseDto> {
    return QueuedMessageResponseDto.ofParts(await this.messages.queue(accountId, body.toOperatorMessage()));
  }

  @Get(':messageId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'one message with its delivery status, attempts and last error' })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrorResponses(404)
  async get(@Param('accountId') accountId: string, @Param('messageId') messageId: string): Promise<MessageResponseDto> {
    return MessageResponseDto.from(await this.messages.get(accountId, messageId));
  }
}
