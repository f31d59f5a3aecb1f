import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo } from 'mongoose';
import type { Readable } from 'node:stream';
import { oid } from '../database/persistence';
import type { MediaStorage } from './media-storage';

export const MEDIA_BUCKET = 'media';

/**
 * MediaStorage on GridFS in the application's own database (works on MongoDB and FerretDB);
 * the only code that touches the bucket's collections.
 */
@Injectable()
export class GridFsMediaStorage implements MediaStorage {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get bucket(): mongo.GridFSBucket {
    // Built lazily: the connection's db handle exists only once it is open.
    return new mongo.GridFSBucket(this.connection.db as unknown as mongo.Db, {
      bucketName: MEDIA_BUCKET,
    });
  }

  put(data: Buffer, info: { filename: string; contentType: string }): Promise<string> {
    const upload = this.bucket.openUploadStream(info.filename, {
      metadata: { contentType: info.contentType },
    });
    return new Promise((resolve, reject) => {
      upload.once('finish', () => resolve(upload.id.toHexString()));
      upload.once('error', reject);
      upload.end(data);
    });
  }

  get(fileId: string): Readable {
    return this.bucket.openDownloadStream(oid(fileId));
  }

  async delete(fileId: string): Promise<void> {
    try {
      await this.bucket.delete(oid(fileId));
    } catch (error) {
      if (!/not found/i.test((error as Error).message)) throw error;
    }
  }
}
