import {
  DataTypeNode,
  OperationNodeTransformer,
  RawNode,
  type ColumnDefinitionNode,
  type KyselyPlugin,
  type QueryId,
} from 'kysely';
import { TEXT_COLLATION } from './column-types.js';

/** Turns the `text` columns of CREATE/ALTER TABLE into LONGTEXT in Basalt's collation. */
class LongTextTransformer extends OperationNodeTransformer {
  protected override transformColumnDefinition(
    node: ColumnDefinitionNode,
    queryId?: QueryId,
  ): ColumnDefinitionNode {
    const column = super.transformColumnDefinition(node, queryId);
    if (!DataTypeNode.is(column.dataType) || column.dataType.dataType !== 'text') return column;
    const type = `longtext character set utf8mb4 collate ${TEXT_COLLATION}`;
    return { ...column, dataType: RawNode.createWithSql(type) };
  }
}

/**
 * Makes Kysely's portable `text` type as long on MariaDB as on SQLite and PostgreSQL: MariaDB's
 * TEXT holds 64 KiB only, too little for a collection's fields or rules (`_collections`).
 * Only table definitions are rewritten; other queries pass untouched.
 */
export function longTextPlugin(): KyselyPlugin {
  const transformer = new LongTextTransformer();
  return {
    transformQuery: ({ node, queryId }) =>
      node.kind === 'CreateTableNode' || node.kind === 'AlterTableNode'
        ? transformer.transformNode(node, queryId)
        : node,
    transformResult: async ({ result }) => result,
  };
}
