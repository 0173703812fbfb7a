import { Module } from '@nestjs/common';
import { AccountsModule } from '@accounts';
import { GraphApiModule } from '@graph-api';
import { ContactLookupSettings } from './contact-lookup-settings';
import { ContactProfileLookup } from './contact-profile-lookup';
import { ContactProfileWorker } from './contact-profile-worker';
import { ContactRepository } from './contact.repository';
import { TypeOrmContactRepository } from './persistence/typeorm-contact.repository';

const providers = [
  { provide: ContactLookupSettings, useValue: new ContactLookupSettings() },
  { provide: ContactRepository, useClass: TypeOrmContactRepository },
  ContactProfileLookup,
  ContactProfileWorker,
];
const exported = [ContactRepository, ContactProfileLookup];

/** The customers of each account: their profiles (username, name), looked up with Meta in the background. */
@Module({ imports: [AccountsModule, GraphApiModule], providers, exports: exported })
export class ContactsModule {}
