import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { presence } from '@http';
import { REACTIONS, type Reaction, SENDER_ACTIONS, type SenderAction } from '@graph-api';

export class ReactionDto {
  @ApiProperty({ enum: REACTIONS, example: 'love', description: 'the reaction, by the name Meta takes' })
  @applyDecorators(presence(false), IsIn(REACTIONS, { message: `reaction must be one of ${REACTIONS.join(', ')}` }))
  reaction!: Reaction;
}

export class SenderActionDto {
  @ApiProperty({
    enum: SENDER_ACTIONS,
    example: 'typing_on',
    description:
      '`typing_on` shows “typing…” (Meta hides it after a while or at the next message), `mark_seen` marks the customer’s messages seen',
  })
  @applyDecorators(
    presence(false),
    IsIn(SENDER_ACTIONS, { message: `action must be one of ${SENDER_ACTIONS.join(', ')}` }),
  )
  action!: SenderAction;
}
