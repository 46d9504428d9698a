/**
 * Every item of a NextToken-paginated list call, for the SDK clients that ship no paginator (EventBridge): `page`
 * asks one page for a token and answers its items and the next token.
 */
export async function allPages<T>(page: (token: string | undefined) => Promise<{ items: readonly T[] | undefined; next: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const { items, next } = await page(token);
    out.push(...(items ?? []));
    token = next;
  } while (token);
  return out;
}
