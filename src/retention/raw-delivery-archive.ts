/**
 * The raw record of what Meta sent, as far as retention is concerned: whole
 * delivery bodies (`webhook_deliveries`) and entries no account could apply
 * (`unroutable_events`); and of what the service told the business's
 * systems: event deliveries that are delivered or failed
 * (`event_deliveries`; pending ones are kept). Each call deletes one
 * bounded batch, oldest first, and answers how many rows it deleted.
 */
export abstract class RawDeliveryArchive {
  abstract deleteDeliveriesReceivedBefore(cutoff: Date, limit: number): Promise<number>;
  abstract deleteUnroutableEntriesCreatedBefore(cutoff: Date, limit: number): Promise<number>;
  abstract deleteEventDeliveriesFinishedBefore(cutoff: Date, limit: number): Promise<number>;
}
