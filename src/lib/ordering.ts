/** An ordering comparison operator. */
export type OrderingOperator = '<' | '<=' | '>' | '>=';

/** `a op b` for two numbers or two strings (strings by UTF-16 code units). */
export function ordered<T extends number | string>(a: T, op: OrderingOperator, b: T): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
