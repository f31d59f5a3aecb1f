import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';
import { validateEnvironment } from './env.schema';

/** Loads `.env` (if present) into the environment, validates it once, and provides AppConfig. */
@Global()
@Module({
  imports: [
    ConfigModule.forRoot({
      ignoreEnvFile: process.env.NODE_ENV === 'test',
      validate: validateEnvironment,
    }),
  ],
  providers: [
    { provide: AppConfig, useFactory: () => new AppConfig(validateEnvironment(process.env)) },
  ],
  exports: [AppConfig],
})
export class AppConfigModule {}
