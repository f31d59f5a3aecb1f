import 'reflect-metadata';
import { createApp } from './app.setup';
import { installLastLineOfDefence } from './common/last-line-of-defence';
import { AppConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  const app = await createApp({ bufferLogs: true });
  installLastLineOfDefence();
  const { HOST, PORT } = app.get(AppConfig).env;
  await app.listen(PORT, HOST);
  // Under `npm start` the launcher prints this itself once the readiness probe answers.
  if (!process.env.NATTER_SUPERVISED)
    process.stdout.write(`Natter is running at http://${HOST}:${PORT}\n`);
}

bootstrap().catch((error: Error) => {
  process.stderr.write(`Natter could not start: ${error.message}\n`);
  process.exit(1);
});
