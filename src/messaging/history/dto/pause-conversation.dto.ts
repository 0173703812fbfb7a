import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { presence } from '@http';

const ONE_YEAR_IN_MINUTES = 525_600;

export class PauseConversationDto {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'how long; without it, until resumed',
    minimum: 1,
    maximum: ONE_YEAR_IN_MINUTES,
    example: 30,
  })
  @applyDecorators(
    presence(true),
    IsInt({ message: '$property must be a whole number of minutes' }),
    Min(1, { message: `$property must be 1 to ${ONE_YEAR_IN_MINUTES}` }),
    Max(ONE_YEAR_IN_MINUTES, { message: `$property must be 1 to ${ONE_YEAR_IN_MINUTES}` }),
  )
  minutes?: number;
}
