import { createHash } from 'node:crypto';
import { imageText, PartitionImage } from '../partition/partition-state';

/**
 * Writes an image's text and its SHA-256 a slice at a time, yielding to the event loop between slices:
 * a snapshot of a large partition must not stall its commands.
 */
export async function snapshotText<S>(image: PartitionImage<S>, piecesPerSlice = 500): Promise<{ text: string; stateHash: string }> {
  const pieces: string[] = [];
  const hash = createHash('sha256');
  for (const piece of imageText(image)) {
    pieces.push(piece);
    hash.update(piece);
    if (pieces.length % piecesPerSlice === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return { text: pieces.join(''), stateHash: hash.digest('hex') };
}
