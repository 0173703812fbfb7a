import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrors, ApiPathIds } from '@http';
import { SenderActionDto } from './dto/sender-action.dto';
import { SenderActionsService } from './sender-actions.service';

@ApiTags('conversations')
@AdminApi()
@ApiPathIds('accountId', 'conversationId')
@Controller('accounts/:accountId/conversations/:conversationId/actions')
export class ConversationActionsController {
  constructor(private readonly actions: SenderActionsService) {}

  @Post()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    operationId: 'showSenderAction',
    summary: 'show the customer “typing…” or that their messages were seen, now',
    description:
      'Sent to Meta at once, not queued. 422 outside the 24-hour window (Meta is not called) and when Meta refuses it or the token; 502 when Meta cannot be reached or fails.',
  })
  @ApiNoContentResponse({ description: 'Meta has shown it' })
  @ApiErrors(
    'account_not_found',
    'account_inactive',
    'conversation_not_found',
    'outside_messaging_window',
    'token_rejected',
    'graph_api_rejected',
    'graph_api_unavailable',
  )
  async show(
    @Param('accountId') accountId: string,
    @Param('conversationId') conversationId: string,
    @Body() body: SenderActionDto,
  ): Promise<void> {
    await this.actions.show(accountId, conversationId, body.action);
  }
}
