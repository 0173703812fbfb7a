import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, Matches } from 'class-validator';

/** Meta's webhook field names: lower case words joined by underscores. */
const FIELD_PATTERN = /^[a-z][a-z_]{0,63}$/;
const MAX_FIELDS = 32;

/** `POST /accounts/:id/subscribe`: optionally the fields to subscribe instead of every field the service handles. */
export class SubscribeRequestDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', pattern: FIELD_PATTERN.source },
    minItems: 1,
    maxItems: MAX_FIELDS,
    description:
      'the webhook fields to subscribe; left out: every field the service handles (messages, messaging_postbacks, messaging_seen, message_reactions, messaging_referral, message_edit, comments, live_comments)',
    example: ['messages', 'comments'],
  })
  @IsOptional()
  @IsArray({ message: '$property must be a list of webhook field names' })
  @ArrayMinSize(1, { message: '$property must name at least one field' })
  @ArrayMaxSize(MAX_FIELDS, { message: `$property must name at most ${MAX_FIELDS} fields` })
  @Matches(FIELD_PATTERN, { each: true, message: 'each field must be a Meta webhook field name, e.g. comments' })
  fields?: string[];
}
