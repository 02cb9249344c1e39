import { getMetadataStorage } from 'type-graphql';

/** What type-graphql made of one field of an object type. */
export interface FieldInfo {
  /** The property its basic resolver reads (`nodeId` for Node's `id`). */
  readonly property: string;
  /** A @FieldResolver answers it. */
  readonly resolved: boolean;
  /** No middleware, role or complexity: its basic resolver returns the property and nothing else. */
  readonly plain: boolean;
}

export interface TypeMetadata {
  readonly fields: ReadonlyMap<string, FieldInfo>;
}

/**
 * The fields of a GraphQL object type as type-graphql built them (its own
 * fields and its interfaces', as its schema generator merges them), read from
 * type-graphql's metadata after the schema is built; null for a type it did
 * not make.
 */
export function typeMetadataOf(typeName: string, target?: object): TypeMetadata | null {
  const storage = getMetadataStorage();
  // By its class where known: a class evaluated twice (as test runners may) registers its name twice.
  const objectType = target
    ? storage.objectTypes.find((type) => type.target === target)
    : storage.objectTypes.findLast((type) => type.name === typeName);
  if (!objectType) return null;
  const { target: typeClass } = objectType;
  const interfaces = (objectType.interfaceClasses ?? []).flatMap(
    (face) => storage.interfaceTypes.find((type) => type.target === face)?.fields ?? [],
  );
  // Resolver classes' @FieldResolver methods: type-graphql adds them to the type only in the copy it builds from.
  const ofType = new Set(
    storage.resolverClasses
      .filter((resolver) => objectTypeOf(resolver) === typeClass)
      .map((resolver) => resolver.target),
  );
  const resolvedHere = new Set(
    storage.fieldResolvers
      .filter((resolver) => ofType.has(resolver.target) || (resolver.target === typeClass && !isPlainGetter(resolver)))
      .map((resolver) => resolver.schemaName),
  );
  const fields = new Map<string, FieldInfo>();
  for (const field of [...interfaces, ...(objectType.fields ?? [])]) {
    const plain =
      (field.middlewares?.length ?? 0) === 0 && (field.roles?.length ?? 0) === 0 && field.complexity === undefined;
    fields.set(field.schemaName, { property: field.name, resolved: resolvedHere.has(field.schemaName), plain });
  }
  for (const schemaName of resolvedHere) {
    if (!fields.has(schemaName)) fields.set(schemaName, { property: schemaName, resolved: true, plain: false });
  }
  return { fields };
}

/** The type a resolver class resolves fields of; none for a resolver of queries alone (`@Resolver()`). */
function objectTypeOf(resolver: { getObjectType?: () => unknown }): unknown {
  try {
    return resolver.getObjectType?.();
  } catch {
    return undefined;
  }
}

/**
 * A field declared on a getter of the type's own class (District.fullName): type-graphql registers it as an
 * "internal" resolver that, with no middleware or role, returns the getter's value, as a basic resolver would.
 */
function isPlainGetter(resolver: {
  target: { prototype: object };
  methodName: string;
  middlewares?: unknown[];
  roles?: unknown[];
}): boolean {
  const getter = Object.getOwnPropertyDescriptor(resolver.target.prototype, resolver.methodName)?.get;
  return getter !== undefined && (resolver.middlewares?.length ?? 0) === 0 && (resolver.roles?.length ?? 0) === 0;
}
