import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { CommandFailedEvent, CommandSucceededEvent } from 'mongodb';
import mongoose, { Connection } from 'mongoose';
import { AppConfig } from '../../config/app-config';
import { Metrics } from '../metrics/metrics.service';

// Unknown fields in query filters are dropped rather than sent to the server. Operator
// injection ({"$ne": null}) is stopped at the edge: every DTO field is validated as a string/id.
mongoose.set('strictQuery', true);
// During a database outage an operation fails with SERVICE_UNAVAILABLE (and the client
// retries) well before a client's 10 s acknowledgement timeout, instead of hanging.
const DATABASE_WAIT_MS = 5000;
mongoose.set('bufferTimeoutMS', DATABASE_WAIT_MS);

@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig, Metrics],
      useFactory: (config: AppConfig, metrics: Metrics) => {
        if (!config.env.MONGODB_URI) {
          throw new Error(
            'MONGODB_URI is not set. Start the API through `npm start`, which provides a local database, or set MONGODB_URI.',
          );
        }
        return {
          uri: config.env.MONGODB_URI,
          // Indexes carry invariants (unique usernames, one pending request per pair, seq order),
          // so they are built when each model is initialised at boot.
          autoIndex: true,
          serverSelectionTimeoutMS: DATABASE_WAIT_MS,
          // The driver reports every command's duration (names only: no filters or documents
          // reach the metrics).
          monitorCommands: true,
          connectionFactory: (connection: Connection) => {
            const client = connection.getClient();
            client.on('commandSucceeded', (event: CommandSucceededEvent) =>
              metrics.dbCommand(event.commandName, event.duration, false),
            );
            client.on('commandFailed', (event: CommandFailedEvent) =>
              metrics.dbCommand(event.commandName, event.duration, true),
            );
            return connection;
          },
        };
      },
    }),
  ],
})
export class DatabaseModule {}
