import { GraphQLError } from 'graphql';

/**
 * Expected failures, each with a stable extensions.code that clients can act
 * on. Anything else that escapes a resolver is masked by formatError.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  FORBIDDEN = 'FORBIDDEN',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export class BadUserInputError extends GraphQLError {
  constructor(argumentName: string, message: string) {
    super(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName } });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(what: string, id: string) {
    super(`No ${what} with id ${id}.`, { extensions: { code: ErrorCode.NOT_FOUND } });
  }
}

export class ConflictError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.CONFLICT } });
  }
}

export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.FORBIDDEN } });
  }
}

export class UnauthenticatedError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });
  }
}

/** The codes a client may see as they were thrown; everything else is masked. */
export const PUBLIC_ERROR_CODES: ReadonlySet<string> = new Set([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.CONFLICT,
  ErrorCode.FORBIDDEN,
  ErrorCode.UNAUTHENTICATED,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);
