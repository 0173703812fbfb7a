import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrors, ApiPathIds, PageQueryDto } from '@http';
import { CreateTemplateDto, UpdateTemplateDto } from './dto/template-request.dto';
import { TemplatePageDto, TemplateResponseDto } from './dto/template-response.dto';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@AdminApi()
@ApiPathIds('accountId')
@Controller('accounts/:accountId/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'listTemplates', summary: 'the account’s message templates, oldest first' })
  @ApiOkResponse({ type: TemplatePageDto, description: 'one page of templates' })
  @ApiErrors('account_not_found')
  async list(@Param('accountId') accountId: string, @Query() query: PageQueryDto): Promise<TemplatePageDto> {
    return TemplatePageDto.from(await this.templates.list(accountId, query.limit, query.cursor ?? null));
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'createTemplate',
    summary: 'add a message template (text with {{param}} placeholders, quick replies, cards)',
  })
  @ApiCreatedResponse({ type: TemplateResponseDto, description: 'the template as stored' })
  @ApiErrors('account_not_found', 'conflict')
  async create(@Param('accountId') accountId: string, @Body() body: CreateTemplateDto): Promise<TemplateResponseDto> {
    return TemplateResponseDto.from(await this.templates.create(accountId, body.toNewTemplate()));
  }

  @Get(':templateId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'getTemplate', summary: 'one template' })
  @ApiPathIds('templateId')
  @ApiOkResponse({ type: TemplateResponseDto, description: 'the template' })
  @ApiErrors('account_not_found', 'template_not_found')
  async get(
    @Param('accountId') accountId: string,
    @Param('templateId') templateId: string,
  ): Promise<TemplateResponseDto> {
    return TemplateResponseDto.from(await this.templates.get(accountId, templateId));
  }

  @Put(':templateId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'updateTemplate', summary: 'change any of the template’s fields' })
  @ApiPathIds('templateId')
  @ApiOkResponse({ type: TemplateResponseDto, description: 'the template as changed' })
  @ApiErrors('account_not_found', 'template_not_found', 'conflict')
  async update(
    @Param('accountId') accountId: string,
    @Param('templateId') templateId: string,
    @Body() body: UpdateTemplateDto,
  ): Promise<TemplateResponseDto> {
    return TemplateResponseDto.from(await this.templates.update(accountId, templateId, body.toChanges()));
  }

  @Delete(':templateId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'deleteTemplate', summary: 'delete a template (messages sent from it are kept)' })
  @ApiPathIds('templateId')
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors('account_not_found', 'template_not_found')
  async delete(@Param('accountId') accountId: string, @Param('templateId') templateId: string): Promise<void> {
    await this.templates.delete(accountId, templateId);
  }
}
