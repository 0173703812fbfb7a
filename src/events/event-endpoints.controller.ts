import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Clock } from '@common';
import { AdminApi, ApiErrors, ApiPathIds, PageQueryDto } from '@http';
import { CreateEventEndpointDto, UpdateEventEndpointDto } from './dto/event-endpoint-request.dto';
import {
  EventDeliveryPageDto,
  EventDeliveryResponseDto,
  EventEndpointPageDto,
  EventEndpointResponseDto,
  EventEndpointWithSecretDto,
  RetriedDeliveriesDto,
} from './dto/event-endpoint-response.dto';
import { EventEndpointsService } from './event-endpoints.service';

@ApiTags('event endpoints')
@AdminApi()
@Controller('event-endpoints')
export class EventEndpointsController {
  constructor(
    private readonly endpoints: EventEndpointsService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    operationId: 'createEventEndpoint',
    summary: 'register an endpoint that receives events, signed as Standard Webhooks',
  })
  @ApiCreatedResponse({
    type: EventEndpointWithSecretDto,
    description: 'the endpoint, with its secret (shown only now)',
  })
  async create(@Body() body: CreateEventEndpointDto): Promise<EventEndpointWithSecretDto> {
    const { endpoint, secret } = await this.endpoints.create(body.toNewEndpoint());
    return EventEndpointWithSecretDto.withSecret(endpoint, secret, this.clock.now());
  }

  @Get()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'listEventEndpoints', summary: 'the event endpoints, oldest first' })
  @ApiOkResponse({ type: EventEndpointPageDto, description: 'one page of endpoints' })
  async list(@Query() query: PageQueryDto): Promise<EventEndpointPageDto> {
    const page = await this.endpoints.list(query.limit, query.cursor ?? null);
    const now = this.clock.now();
    return { items: page.items.map((e) => EventEndpointResponseDto.from(e, now)), nextCursor: page.nextCursor };
  }

  @Get(':endpointId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'getEventEndpoint', summary: 'one event endpoint' })
  @ApiPathIds('endpointId')
  @ApiOkResponse({ type: EventEndpointResponseDto, description: 'the endpoint' })
  @ApiErrors('event_endpoint_not_found')
  async get(@Param('endpointId') endpointId: string): Promise<EventEndpointResponseDto> {
    return EventEndpointResponseDto.from(await this.endpoints.get(endpointId), this.clock.now());
  }

  @Put(':endpointId')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'updateEventEndpoint',
    summary: 'change any of the endpoint’s fields; `enabled: true` brings back a disabled one',
  })
  @ApiPathIds('endpointId')
  @ApiOkResponse({ type: EventEndpointResponseDto, description: 'the endpoint as changed' })
  @ApiErrors('event_endpoint_not_found')
  async update(
    @Param('endpointId') endpointId: string,
    @Body() body: UpdateEventEndpointDto,
  ): Promise<EventEndpointResponseDto> {
    return EventEndpointResponseDto.from(await this.endpoints.update(endpointId, body.toChanges()), this.clock.now());
  }

  @Delete(':endpointId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'deleteEventEndpoint', summary: 'delete the endpoint and its deliveries' })
  @ApiPathIds('endpointId')
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors('event_endpoint_not_found')
  async delete(@Param('endpointId') endpointId: string): Promise<void> {
    await this.endpoints.delete(endpointId);
  }

  @Post(':endpointId/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'rotateEventEndpointSecret',
    summary: 'a new signing secret, shown once; for 24 hours deliveries carry signatures of both',
  })
  @ApiPathIds('endpointId')
  @ApiOkResponse({
    type: EventEndpointWithSecretDto,
    description: 'the endpoint, with its new secret (shown only now)',
  })
  @ApiErrors('event_endpoint_not_found')
  async rotateSecret(@Param('endpointId') endpointId: string): Promise<EventEndpointWithSecretDto> {
    const { endpoint, secret } = await this.endpoints.rotateSecret(endpointId);
    return EventEndpointWithSecretDto.withSecret(endpoint, secret, this.clock.now());
  }

  @Post(':endpointId/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ operationId: 'testEventEndpoint', summary: 'queue an endpoint.test event to this endpoint' })
  @ApiPathIds('endpointId')
  @ApiAcceptedResponse({ type: EventDeliveryResponseDto, description: 'the test event’s delivery, queued' })
  @ApiErrors('event_endpoint_not_found')
  async test(@Param('endpointId') endpointId: string): Promise<EventDeliveryResponseDto> {
    return EventDeliveryResponseDto.from(await this.endpoints.test(endpointId));
  }

  @Get(':endpointId/deliveries')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ operationId: 'listEventDeliveries', summary: 'the endpoint’s deliveries, newest first' })
  @ApiPathIds('endpointId')
  @ApiOkResponse({ type: EventDeliveryPageDto, description: 'one page of deliveries' })
  @ApiErrors('event_endpoint_not_found')
  async deliveries(
    @Param('endpointId') endpointId: string,
    @Query() query: PageQueryDto,
  ): Promise<EventDeliveryPageDto> {
    const page = await this.endpoints.deliveriesOf(endpointId, query.limit, query.cursor ?? null);
    return { items: page.items.map((d) => EventDeliveryResponseDto.from(d)), nextCursor: page.nextCursor };
  }

  @Post(':endpointId/deliveries/retry-failed')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'retryFailedEventDeliveries',
    summary: 'try every failed delivery of the endpoint again, each with a fresh schedule',
  })
  @ApiPathIds('endpointId')
  @ApiOkResponse({ type: RetriedDeliveriesDto, description: 'how many were put back' })
  @ApiErrors('event_endpoint_not_found')
  async retryFailed(@Param('endpointId') endpointId: string): Promise<RetriedDeliveriesDto> {
    return { retried: await this.endpoints.retryFailed(endpointId) };
  }

  @Post(':endpointId/deliveries/:deliveryId/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'retryEventDelivery',
    summary: 'try a failed delivery again, with a fresh schedule',
  })
  @ApiPathIds('endpointId', 'deliveryId')
  @ApiOkResponse({ type: EventDeliveryResponseDto, description: 'the delivery, pending again' })
  @ApiErrors('event_endpoint_not_found', 'event_delivery_not_found', 'event_delivery_not_failed')
  async retry(
    @Param('endpointId') endpointId: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<EventDeliveryResponseDto> {
    return EventDeliveryResponseDto.from(await this.endpoints.retry(endpointId, deliveryId));
  }
}
