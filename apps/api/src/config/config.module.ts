import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';
import { validateEnvironment } from './env.schema';

/**
 * Loads `.env` (if present) into the environment and provides AppConfig. The environment is
 * validated twice on purpose: ConfigModule checks it once per process, when `.env` is merged
 * in, and AppConfig is built from a fresh validation of `process.env` for each application,
 * so the test suites can boot several apps in one process with settings of their own.
 */
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
