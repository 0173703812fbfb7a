import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrors, ApiPathIds } from '@http';
import {
  MessengerProfileResponseDto,
  UPDATE_MESSENGER_PROFILE_BODY,
  UPDATE_MESSENGER_PROFILE_EXAMPLES,
  UpdateMessengerProfileDto,
} from './dto/messenger-profile.dto';
import { MessengerProfileService } from './messenger-profile.service';

@ApiTags('accounts')
@AdminApi()
@ApiPathIds('accountId')
@ApiExtraModels(UpdateMessengerProfileDto)
@Controller('accounts/:accountId/messenger-profile')
export class MessengerProfileController {
  constructor(private readonly profiles: MessengerProfileService) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'getMessengerProfile', summary: 'the account’s ice breakers and persistent menu' })
  @ApiOkResponse({ type: MessengerProfileResponseDto, description: 'what is set on Meta, and when it was set' })
  @ApiErrors('account_not_found')
  async get(@Param('accountId') accountId: string): Promise<MessengerProfileResponseDto> {
    return MessengerProfileResponseDto.from(await this.profiles.get(accountId));
  }

  @Put()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'setMessengerProfile',
    summary: 'set the account’s ice breakers and/or persistent menu on Meta',
    description:
      'Set through Meta’s Messenger Profile API (`platform=instagram`), then kept. A field left out stays; an ' +
      'empty list removes it. Taps come back as postbacks.',
  })
  @ApiBody({ schema: UPDATE_MESSENGER_PROFILE_BODY, examples: UPDATE_MESSENGER_PROFILE_EXAMPLES })
  @ApiOkResponse({ type: MessengerProfileResponseDto, description: 'what is now set' })
  @ApiErrors('account_not_found', 'account_inactive', 'token_rejected', 'graph_api_rejected', 'graph_api_unavailable')
  async update(
    @Param('accountId') accountId: string,
    @Body() body: UpdateMessengerProfileDto,
  ): Promise<MessengerProfileResponseDto> {
    return MessengerProfileResponseDto.from(await this.profiles.update(accountId, body.toChanges()));
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'deleteMessengerProfile', summary: 'remove the ice breakers and persistent menu' })
  @ApiNoContentResponse({ description: 'removed on Meta and here' })
  @ApiErrors('account_not_found', 'account_inactive', 'token_rejected', 'graph_api_rejected', 'graph_api_unavailable')
  async clear(@Param('accountId') accountId: string): Promise<void> {
    await this.profiles.clear(accountId);
  }
}
