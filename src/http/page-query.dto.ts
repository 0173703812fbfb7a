import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@common';

const CURSOR_MAX_LENGTH = 200;

/** `?limit=&cursor=` of every list route. */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    example: DEFAULT_PAGE_SIZE,
  })
  @IsOptional()
  @Type(() => Number)
  @applyDecorators(
    IsInt({ message: '$property must be a whole number' }),
    Min(1, { message: `$property must be 1 to ${MAX_PAGE_SIZE}` }),
    Max(MAX_PAGE_SIZE, { message: `$property must be 1 to ${MAX_PAGE_SIZE}` }),
  )
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({
    description: '`nextCursor` of the previous page',
    maxLength: CURSOR_MAX_LENGTH,
    example: 'WyIwMTlhYzRhMi02ZjFlLTdjM2EtOWQyYi0zZjRlNWE2YjdjOGQiXQ',
  })
  @IsOptional()
  @applyDecorators(
    IsString({ message: '$property must be a string' }),
    MaxLength(CURSOR_MAX_LENGTH, { message: `$property must be at most ${CURSOR_MAX_LENGTH} characters` }),
  )
  cursor?: string;
}

/** The `nextCursor` of every page a list route answers. */
export function NextCursorProperty(): PropertyDecorator {
  return ApiProperty({
    type: String,
    nullable: true,
    description: 'pass as `cursor` for the next page; null on the last',
    example: null,
  });
}
