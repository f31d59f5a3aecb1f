import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { runAdminCommand } from './modules/admin/admin-commands';

/** Entry point of `npm run admin` (tools/admin.mjs): the administration CLI. */
async function main(): Promise<number> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
  try {
    return await runAdminCommand(app, process.argv.slice(2), (...parts) =>
      process.stdout.write(parts.join('\t') + '\n'),
    );
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
  },
);
