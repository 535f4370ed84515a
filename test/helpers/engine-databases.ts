import { createEngineDatabase, type EngineDatabase } from './test-engine.js';

/** Empty databases on the run's engine server, made by one test file and dropped together. */
export class EngineDatabases {
  private readonly made: EngineDatabase[] = [];

  /** A new empty database; its URL. */
  async create(): Promise<string> {
    const database = await createEngineDatabase();
    this.made.push(database);
    return database.url ?? '';
  }

  /** Drops every database made. */
  async dropAll(): Promise<void> {
    for (const database of this.made.splice(0)) await database.drop();
  }
}
