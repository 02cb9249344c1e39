import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from './connection.types';
import { Node } from './node.interface';

export enum SearchType {
  SESSION = 'SESSION',
  AGENDA_ITEM = 'AGENDA_ITEM',
  PERSON = 'PERSON',
  VOTE = 'VOTE',
}
registerEnumType(SearchType, {
  name: 'SearchType',
  valuesConfig: {
    SESSION: { description: "A session's title and description, and its agenda's (ranked below its own)." },
    AGENDA_ITEM: { description: "An agenda item's title and description." },
    PERSON: { description: "A person's name; a typo still finds them." },
    VOTE: { description: "A vote's subject." },
  },
});

@ObjectType()
export class SearchHit {
  @Field(() => Node)
  node!: Node;

  @Field(() => String, {
    nullable: true,
    description:
      'The best-matching passage, matched words wrapped in <b>…</b>; plain text otherwise (no other markup).',
  })
  snippet!: string | null;

  @Field(() => Float, { description: 'Higher is better; comparable within one search only.' })
  score!: number;
}

@ObjectType()
export class SearchEdge {
  @Field()
  cursor!: string;

  @Field(() => SearchHit)
  node!: SearchHit;
}

@ObjectType()
export class SearchConnection {
  @Field(() => [SearchEdge])
  edges!: SearchEdge[];

  @Field(() => [SearchHit])
  nodes!: SearchHit[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;

  @Field({
    description:
      'True where Polish word forms are matched (dane osobowe finds danych osobowych); false where only words as typed are, ignoring case and diacritics.',
  })
  stemming!: boolean;
}
