import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, ApiErrorResponses } from '../../common/admin-api/admin-api.decorator';
import { PageQueryDto } from '../../common/page-query.dto';
import { CreateTemplateDto, UpdateTemplateDto } from './dto/template-request.dto';
import { TemplatePageDto, TemplateResponseDto } from './dto/template-response.dto';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@AdminApi()
@Controller('accounts/:accountId/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'the account’s message templates, oldest first' })
  @ApiOkResponse({ type: TemplatePageDto })
  @ApiErrorResponses(400, 404)
  async list(@Param('accountId') accountId: string, @Query() query: PageQueryDto): Promise<TemplatePageDto> {
    return TemplatePageDto.from(await this.templates.list(accountId, query.limit, query.cursor ?? null));
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'add a message template (text with {{param}} placeholders, quick replies, cards)' })
  @ApiCreatedResponse({ type: TemplateResponseDto })
  @ApiErrorResponses(400, 404, 409)
  async create(@Param('accountId') accountId: string, @Body() body: CreateTemplateDto): Promise<TemplateResponseDto> {
    return TemplateResponseDto.from(await this.templates.create(accountId, body.toNewTemplate()));
  }

  @Get(':templateId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'one template' })
  @ApiOkResponse({ type: TemplateResponseDto })
  @ApiErrorResponses(404)
  async get(
    @Param('accountId') accountId: string,
    @Param('templateId') templateId: string,
  ): Promise<TemplateResponseDto> {
    return TemplateResponseDto.from(await this.templates.get(accountId, templateId));
  }

  @Put(':templateId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'change any of the template’s fields' })
  @ApiOkResponse({ type: TemplateResponseDto })
  @ApiErrorResponses(400, 404, 409)
  async update(
    @Param('accountId') accountId: string,
    @Param('templateId') templateId: string,
    @Body() body: UpdateTemplateDto,
  ): Promise<TemplateResponseDto> {
    return TemplateResponseDto.from(await this.templates.update(accountId, templateId, body.toChanges()));
  }

  @Delete(':templateId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'delete a template (messages sent from it are kept)' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrorResponses(404)
  async delete(@Param('accountId') accountId: string, @Param('templateId') templateId: string): Promise<void> {
    await this.templates.delete(accountId, templateId);
  }
}
