// What other modules may use of `contacts`; everything else in the folder is its own.
export { ContactProfileLookup } from './contact-profile-lookup';
export { ContactRepository } from './contact.repository';
export type { NewContact } from './contact.repository';
export { ContactsModule } from './contacts.module';
export { ContactEntity } from './persistence/contact.entity';
