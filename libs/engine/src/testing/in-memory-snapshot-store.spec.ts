import { InMemorySnapshotStore, snapshotStoreContract } from '@app/engine/testing';

snapshotStoreContract('InMemorySnapshotStore', async () => ({ store: new InMemorySnapshotStore(), close: async () => undefined }));
