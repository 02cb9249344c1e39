import { ApolloArmor } from '@escape.tech/graphql-armor';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { Kind, Lexer, Source, TokenKind } from 'graphql';
import type {
  ASTVisitFn,
  ASTVisitor,
  DocumentNode,
  GraphQLError,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import type { Limits } from '../config';
import { maxLogBytesRule } from './max-log-bytes.rule';
import { maxRowsRule } from './max-rows.rule';

/**
 * The bounds of an operation that only introspects (every top-level field is
 * `__schema`, `__type` or `__typename`), instead of MAX_DEPTH and MAX_COST:
 * graphql-js's getIntrospectionQuery(), which GraphiQL, codegen and IDEs
 * send, has depth 15 and Armor cost ≈ 87,500 with every option, far above what
 * a data query needs. Room above it, but not for two copies of it, nor for a
 * long `ofType` chain; graphql-js's own MaxIntrospectionDepthRule already
 * refuses lists nested past the standard query (`fields { type { fields … } }`).
 */
export const INTROSPECTION_LIMITS = { maxDepth: 20, maxCost: 150_000 } as const;

/**
 * The limits on what one operation may ask, from GraphQL Armor, tuned to our
 * schema, plus the page-size weighting it lacks. Apollo applies them to HTTP;
 * WebSocket operations do not pass through Apollo, so graphql-ws's
 * onSubscribe applies the same rules through `parse` and `rules`.
 */
export class OperationLimits {
  constructor(
    private readonly limits: Limits,
    private readonly production: boolean,
  ) {}

  private get armorConfig() {
    const { maxDepth, maxAliases, maxDirectives, maxTokens, maxCost } = this.limits;
    return {
      maxDepth: { n: maxDepth, ignoreIntrospection: false, flattenFragments: true },
      maxAliases: { n: maxAliases, allowList: [] },
      maxDirectives: { n: maxDirectives },
      maxTokens: { n: maxTokens },
      // Introspection is allowed (it is a public API) and costed: see depthAndCost for its own bounds.
      costLimit: { maxCost, ignoreIntrospection: false },
      blockFieldSuggestion: { enabled: this.production },
    };
  }

  /**
   * For ApolloServer's options: its plugins and validation rules. Armor's
   * token limit hooks Apollo's parsing in a way Apollo 5 ignores, so the
   * HTTP handler counts tokens itself (tooManyTokens) before Apollo parses.
   */
  apollo() {
    const protection = new ApolloArmor({
      ...this.armorConfig,
      // Depth and cost come from depthAndCost below, which judges introspection apart.
      maxDepth: { enabled: false },
      costLimit: { enabled: false },
      maxTokens: { enabled: false },
    }).protect();
    return {
      plugins: protection.plugins,
      validationRules: [...protection.validationRules, ...this.depthAndCost(), ...this.ownRules()],
    };
  }

  /** The same validation rules, for operations over WebSocket. */
  rules(): ValidationRule[] {
    const config = this.armorConfig;
    return [
      maxAliasesRule(config.maxAliases),
      maxDirectivesRule(config.maxDirectives),
      ...this.depthAndCost(),
      ...this.ownRules(),
    ];
  }

  /** The weightings Armor lacks: rows along a path, and bytes pulled from the event log. */
  private ownRules(): ValidationRule[] {
    return [maxRowsRule(this.limits.maxRows), maxLogBytesRule(this.limits.maxLogBytes, this.limits.eventMaxBytes)];
  }

  /**
   * Armor's cost and depth limits; an introspection-only operation is judged by
   * INTROSPECTION_LIMITS. A refusal is reported to the validation context, as
   * ApolloArmor does for its own rules (thrown, Apollo would answer 500).
   */
  private depthAndCost(): ValidationRule[] {
    const { maxDepth, costLimit } = this.armorConfig;
    const rejection = {
      propagateOnRejection: false,
      onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
    };
    return [
      apart(
        costLimitRule({ ...costLimit, ...rejection }),
        costLimitRule({ ...costLimit, ...rejection, maxCost: INTROSPECTION_LIMITS.maxCost }),
      ),
      apart(
        maxDepthRule({ ...maxDepth, ...rejection }),
        maxDepthRule({ ...maxDepth, ...rejection, n: INTROSPECTION_LIMITS.maxDepth }),
      ),
    ];
  }

  /**
   * Counts a document's tokens up to the limit without building it; a
   * message for the client when there are too many.
   */
  tooManyTokens(query: string): string | null {
    const lexer = new Lexer(new Source(query));
    let count = 0;
    try {
      while (lexer.advance().kind !== TokenKind.EOF) {
        count += 1;
        if (count > this.limits.maxTokens) return `Syntax Error: Token limit of ${this.limits.maxTokens} exceeded.`;
      }
    } catch {
      // A lexical error is for the parser to report.
    }
    return null;
  }

  /** Parses with the token limit, before anything else reads the document. */
  parse(query: string): DocumentNode {
    return new MaxTokensParserWLexer(query, { n: this.limits.maxTokens }).parseDocument();
  }
}

type OperationVisitor = {
  OperationDefinition?: ASTVisitFn<OperationDefinitionNode> | { enter?: ASTVisitFn<OperationDefinitionNode> };
};

/**
 * One rule for operations that only introspect, another for the rest. Both
 * are Armor rules, which judge each operation on entering it.
 */
function apart(normal: ValidationRule, introspection: ValidationRule): ValidationRule {
  return (context) => {
    const visitors = { normal: normal(context), introspection: introspection(context) };
    return {
      OperationDefinition(operation, ...rest) {
        const visitor = introspectsOnly(operation.selectionSet, context) ? visitors.introspection : visitors.normal;
        const enter = (visitor as OperationVisitor).OperationDefinition;
        const visit = typeof enter === 'function' ? enter : enter?.enter;
        return visit?.call(visitor, operation, ...rest);
      },
    } satisfies ASTVisitor;
  };
}

/** Whether every top-level field (through fragments) is a meta-field: `__schema`, `__type`, `__typename`. */
function introspectsOnly(
  selectionSet: SelectionSetNode,
  context: ValidationContext,
  seen: ReadonlySet<string> = new Set(),
): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__');
    if (selection.kind === Kind.INLINE_FRAGMENT) return introspectsOnly(selection.selectionSet, context, seen);
    const name = selection.name.value;
    const fragment = context.getFragment(name);
    // A cycle or an unknown fragment is for the specified rules to report; judged by the normal limits meanwhile.
    return !!fragment && !seen.has(name) && introspectsOnly(fragment.selectionSet, context, new Set([...seen, name]));
  });
}
