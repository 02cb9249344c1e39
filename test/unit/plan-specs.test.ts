import 'reflect-metadata';
import { getNamedType, isObjectType } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { typeMetadataOf } from '../../src/plans/field-metadata';
import { GETTER_NEEDS, PLANNED_BY_ID, PLANNED_ENTITIES } from '../../src/plans/plan-specs';
import { buildObradySchema } from '../../src/schema/build-schema';
import { toGlobalId } from '../../src/schema/global-id';
import type { NodeTypeName } from '../../src/schema/global-id';

/**
 * The planned reads' specs (src/plans/plan-specs.ts) against the schema type-graphql builds: a relation a plan
 * follows must be a field some resolver answers (the spec mirrors it), every other field a plan may read must be a
 * plain property, and the getters the planner reads by their columns read nothing else. The answers themselves are
 * held equal to the resolvers' by test/read/same-answers.test.ts.
 */
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildObradySchema();
});

const entityTypes = Object.entries(PLANNED_ENTITIES);

test.each(entityTypes)('%s: each relation a plan follows is a field a resolver answers', (typeName, spec) => {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  const fields = typeMetadataOf(typeName, spec.entity as object)!.fields;
  for (const [name, relation] of Object.entries(spec.relations)) {
    expect({ name, inSchema: name in type.getFields() }).toEqual({ name, inSchema: true });
    expect({ name, resolved: fields.get(name)?.resolved }).toEqual({ name, resolved: true });
    if (relation.kind === 'computed') {
      // A computed object's own fields are plain properties of what the spec computes.
      const child = getNamedType(type.getFields()[name]!.type);
      const childFields = typeMetadataOf(child.name)!.fields;
      for (const [childName, info] of childFields) {
        const field = `${name}.${childName}`;
        expect({ field, resolved: info.resolved, plain: info.plain }).toEqual({ field, resolved: false, plain: true });
      }
    }
  }
});

test('the fields a plan reads as properties have no resolver, and contact details are never among them', () => {
  const person = typeMetadataOf('Person', PLANNED_ENTITIES.Person!.entity as object)!.fields;
  // email and phone are answered by resolvers that ask who is calling: a plan never reads them.
  expect(person.get('email')?.resolved).toBe(true);
  expect(person.get('phone')?.resolved).toBe(true);
  expect(PLANNED_ENTITIES.Person!.relations).not.toHaveProperty('email');
  expect(PLANNED_ENTITIES.Person!.relations).not.toHaveProperty('phone');
  // District.fullName is a getter type-graphql registers as a resolver of its own class: a plain read.
  expect(typeMetadataOf('District', PLANNED_ENTITIES.District!.entity as object)!.fields.get('fullName')).toEqual({
    property: 'fullName',
    resolved: false,
    plain: true,
  });
});

test.each(entityTypes)('%s: the getters read by their columns read only those', (typeName, spec) => {
  const prototype = (spec.entity as { prototype: object }).prototype;
  for (const [getter, columns] of Object.entries(GETTER_NEEDS)) {
    const read = Object.getOwnPropertyDescriptor(prototype, getter)?.get;
    if (!read) continue;
    // Only the named columns are there to read: the getter must answer as it would on the whole row.
    const row = Object.fromEntries(columns.map((column) => [column, 42]));
    expect(read.call(row)).toBe(toGlobalId(typeName as NodeTypeName, 42));
  }
});

test('the root fields a plan answers fetch the type they name', () => {
  const queryType = schema.getQueryType()!;
  for (const [field, typeName] of Object.entries(PLANNED_BY_ID)) {
    expect({ field, type: getNamedType(queryType.getFields()[field]!.type).name }).toEqual({ field, type: typeName });
  }
});
