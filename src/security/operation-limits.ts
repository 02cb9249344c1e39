import { ApolloArmor } from '@escape.tech/graphql-armor';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import { Lexer, Source, TokenKind } from 'graphql';
import type { DocumentNode, ValidationRule } from 'graphql';
import type { Limits } from '../config';
import { maxLogBytesRule } from './max-log-bytes.rule';
import { maxRowsRule } from './max-rows.rule';

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
      // Introspection is allowed (it is a public API) but pays its cost like any query.
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
    const protection = new ApolloArmor({ ...this.armorConfig, maxTokens: { enabled: false } }).protect();
    return {
      plugins: protection.plugins,
      validationRules: [...protection.validationRules, ...this.ownRules()],
    };
  }

  /** The same validation rules, for operations over WebSocket. */
  rules(): ValidationRule[] {
    const config = this.armorConfig;
    return [
      maxDepthRule(config.maxDepth),
      maxAliasesRule(config.maxAliases),
      maxDirectivesRule(config.maxDirectives),
      costLimitRule(config.costLimit),
      ...this.ownRules(),
    ];
  }

  /** The weightings Armor lacks: rows along a path, and bytes pulled from the event log. */
  private ownRules(): ValidationRule[] {
    return [maxRowsRule(this.limits.maxRows), maxLogBytesRule(this.limits.maxLogBytes, this.limits.eventMaxBytes)];
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
