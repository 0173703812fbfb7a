import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrorResponses } from '../common/admin-api/admin-api.decorator';
import { PageQueryDto } from '../common/page-query.dto';
import { CreateRuleDto, TestRuleDto, UpdateRuleDto } from './dto/rule-request.dto';
import { RulePageDto, RuleResponseDto, RuleTestResultDto } from './dto/rule-response.dto';
import { RulesService } from './rules.service';

@ApiTags('rules')
@AdminApi()
@Controller('accounts/:accountId/rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'the account’s rules in the order they are tried' })
  @ApiOkResponse({ type: RulePageDto })
  @ApiErrorResponses(400, 404)
  async list(@Param('accountId') accountId: string, @Query() query: PageQueryDto): Promise<RulePageDto> {
    const page = await this.rules.list(accountId, query.limit, query.cursor ?? null);
    return { items: page.items.map((rule) => RuleResponseDto.from(rule)), nextCursor: page.nextCursor };
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'add a response rule' })
  @ApiCreatedResponse({ type: RuleResponseDto })
  @ApiErrorResponses(400, 404)
  async create(@Param('accountId') accountId: string, @Body() body: CreateRuleDto): Promise<RuleResponseDto> {
    return RuleResponseDto.from(await this.rules.create(accountId, body.toNewRule()));
  }

  @Post('test')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'which rule would answer a text, and with what; nothing is sent' })
  @ApiOkResponse({ type: RuleTestResultDto })
  @ApiErrorResponses(400, 404)
  async test(@Param('accountId') accountId: string, @Body() body: TestRuleDto): Promise<RuleTestResultDto> {
    return RuleTestResultDto.from(await this.rules.test(accountId, body.text, body));
  }

  @Get(':ruleId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'one rule' })
  @ApiOkResponse({ type: RuleResponseDto })
  @ApiErrorResponses(404)
  async get(@Param('accountId') accountId: string, @Param('ruleId') ruleId: string): Promise<RuleResponseDto> {
    return RuleResponseDto.from(await this.rules.get(accountId, ruleId));
  }

  @Put(':ruleId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'change any of the rule’s fields' })
  @ApiOkResponse({ type: RuleResponseDto })
  @ApiErrorResponses(400, 404)
  async update(
    @Param('accountId') accountId: string,
    @Param('ruleId') ruleId: string,
    @Body() body: UpdateRuleDto,
  ): Promise<RuleResponseDto> {
    return RuleResponseDto.from(await this.rules.update(accountId, ruleId, body.toChanges()));
  }

  @Delete(':ruleId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'delete a rule (replies it made keep its id)' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrorResponses(404)
  async delete(@Param('accountId') accountId: string, @Param('ruleId') ruleId: string): Promise<void> {
    await this.rules.delete(accountId, ruleId);
  }
}
