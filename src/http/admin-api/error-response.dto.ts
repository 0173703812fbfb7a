import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody } from '../http-error.filter';

/** The one error shape of every route (built by `errorBodyOf`), as Swagger shows it. */
export class ErrorResponseDto implements ErrorBody {
  @ApiProperty({ type: 'integer', description: 'the HTTP status, again', example: 404 })
  statusCode!: number;

  @ApiProperty({
    description: 'stable error code; each operation lists the codes it answers',
    example: 'account_not_found',
  })
  error!: string;

  @ApiProperty({ example: 'account not found' })
  message!: string;

  @ApiProperty({
    description: 'also sent as the X-Request-Id header and found on the log lines of the request',
    example: '4f6d2c1e-8a3b-4e5f-9c7d-1b2a3c4d5e6f',
  })
  requestId!: string;

  @ApiPropertyOptional({
    description: 'validation errors only: one message per invalid field',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { username: "username must be 1 to 30 letters, digits, '.' or '_'" },
  })
  fields?: Record<string, string>;
}
