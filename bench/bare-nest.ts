import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/** The ceiling: NestJS + Express doing nothing but parse the JSON body and answer 200. */
@Controller('webhooks/instagram')
class BareController {
  @Post(':accountId')
  @HttpCode(200)
  receive(@Param('accountId') _accountId: string, @Body() _body: unknown): string {
    return 'EVENT_RECEIVED';
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

void main();
