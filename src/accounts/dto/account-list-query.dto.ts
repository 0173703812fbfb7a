import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy } from 'class-validator';
import { PageQueryDto } from '@http';
import { parseDuration } from '@config';
import { TOKEN_STATUSES, type TokenStatus } from '../account';
import type { AccountListFilter } from '../accounts.service';

/** `GET /accounts`: a page, optionally only the accounts whose token needs an operator (what /health counts). */
export class AccountListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TOKEN_STATUSES, description: 'only accounts whose token has this status' })
  @IsOptional()
  @IsIn(TOKEN_STATUSES, { message: `$property must be one of ${TOKEN_STATUSES.join(', ')}` })
  tokenStatus?: TokenStatus;

  @ApiPropertyOptional({
    description: 'only accounts whose token expires within this (`90m`, `24h`, `7d`), those already expired included',
    example: '7d',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isDuration',
    validator: {
      validate: (value) => typeof value === 'string' && parseDuration(value) !== null,
      defaultMessage: () => '$property must be a duration such as 90m, 24h or 7d',
    },
  })
  tokenExpiresWithin?: string;

  toFilter(): AccountListFilter {
    return {
      tokenStatus: this.tokenStatus,
      tokenExpiresWithinMs: this.tokenExpiresWithin === undefined ? undefined : parseDuration(this.tokenExpiresWithin)!,
    };
  }
}
