import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Contact, ContactSchema } from './contact.schema';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';

/**
 * The contact graph (no conversations, no HTTP): safe for MessagesModule and media to import.
 * The contacts endpoints and the rules that change contacts live in SocialModule.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: Contact.name, schema: ContactSchema }])],
  providers: [ContactsRepository, ContactsService],
  exports: [ContactsService],
})
export class ContactsModule {}
