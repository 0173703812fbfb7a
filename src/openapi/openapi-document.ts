import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ADMIN_BEARER_SCHEME, ErrorResponseDto } from '@http';
import { applyApiConventions } from './api-conventions';

/**
 * The OpenAPI document of the admin API, as `/docs-json` serves it and
 * `npm run openapi` writes it to openapi.json. It depends on the code only,
 * never on the environment, so every deployment serves the same document.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('instagram-dm-gateway admin API')
    .setDescription(
      'Accounts, rules, templates, conversations and messages of the Instagram professional accounts this gateway ' +
        'serves. Every route needs `Authorization: Bearer $ADMIN_API_TOKEN`. Errors have one shape: `statusCode`, ' +
        '`error` (a stable code, listed per operation), `message`, `requestId`, and for validation errors ' +
        '`fields`, one message per invalid field.',
    )
    .setVersion('1')
    // Not open source: what npm calls UNLICENSED.
    .setLicense('UNLICENSED', 'https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license')
    .addServer('/', 'this gateway (its PUBLIC_BASE_URL)')
    // An opaque token, not a JWT (Nest's default bearerFormat).
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: undefined, description: 'ADMIN_API_TOKEN' },
      ADMIN_BEARER_SCHEME,
    )
    .build();
  delete config.info.contact; // DocumentBuilder's empty one: the operators are the contact.
  return applyApiConventions(SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] }));
}
