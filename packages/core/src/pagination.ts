import { ArkerError } from "./errors";

/**
 * One page of a cursor-paginated list. `items` holds this page; iterating the page
 * with `for await` walks every item of every following page, fetching lazily.
 *
 * @example
 * for await (const vm of await vms.listVms({ state: "idle" })) console.log(vm.vm_id);
 */
export class Page<T> implements AsyncIterable<T> {
  /** The items of this page, newest first. */
  readonly items: T[];
  /** The cursor of the next page, or `null` on the last page. */
  readonly nextCursor: string | null;
  readonly #fetchPage: (cursor: string) => Promise<Page<T>>;

  constructor(
    items: T[],
    nextCursor: string | null,
    fetchPage: (cursor: string) => Promise<Page<T>>,
  ) {
    this.items = items;
    this.nextCursor = nextCursor;
    this.#fetchPage = fetchPage;
  }

  /** Whether another page follows. */
  hasNextPage(): boolean {
    return this.nextCursor !== null;
  }

  /** Fetches the next page, or resolves `null` on the last page. */
  async nextPage(): Promise<Page<T> | null> {
    return this.nextCursor === null ? null : this.#fetchPage(this.nextCursor);
  }

  /**
   * Walks every item of this page and the following ones. A cursor that comes back a
   * second time (a server that does not advance) rejects with `internal` instead of
   * looping forever.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const seen = new Set<string>();
    let page: Page<T> | null = this;
    while (page) {
      yield* page.items;
      const cursor: string | null = page.nextCursor;
      if (cursor === null) return;
      if (seen.has(cursor)) {
        throw new ArkerError(
          "internal",
          `pagination did not advance: cursor ${JSON.stringify(cursor).slice(0, 100)} came back`,
          200,
        );
      }
      seen.add(cursor);
      page = await page.nextPage();
    }
  }
}
