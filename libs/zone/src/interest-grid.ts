/** Anything with a position the grid can hold. */
export interface Placed {
  x: number;
  y: number;
}

/**
 * Entities bucketed by square cells of side `cell`. Area of interest: what stands in a point's cell and the
 * eight around it. Also how monsters find players near them without looking at every player.
 */
export class InterestGrid<T extends Placed> {
  private readonly cells = new Map<number, T[]>();

  constructor(
    private readonly cell: number,
    entities: Iterable<T>,
  ) {
    for (const entity of entities) {
      const key = this.keyOf(Math.floor(entity.x / cell), Math.floor(entity.y / cell));
      const bucket = this.cells.get(key);
      if (bucket) bucket.push(entity);
      else this.cells.set(key, [entity]);
    }
  }

  /** Entities in the 3x3 cells around (x, y), in the order they were given within each cell. */
  around(x: number, y: number): T[] {
    const column = Math.floor(x / this.cell);
    const row = Math.floor(y / this.cell);
    const found: T[] = [];
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const bucket = this.cells.get(this.keyOf(column + dx, row + dy));
        if (bucket) found.push(...bucket);
      }
    }
    return found;
  }

  // Cells are at most 2^15 apart on either axis in any zone we define.
  private keyOf(column: number, row: number): number {
    return column * 65_536 + row;
  }
}
