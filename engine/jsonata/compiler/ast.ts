/** The parts of jsonata's AST (as `expression.ast()` returns it) that the compiler reads. */
export interface Node {
  type: string;
  value?: unknown;
  position?: number;
  steps?: Node[];
  stages?: Node[];
  predicate?: Node[];
  expr?: Node;
  lhs?: Node | Node[][] | undefined;
  rhs?: Node;
  expressions?: Node[];
  condition?: Node;
  then?: Node;
  else?: Node;
  procedure?: Node;
  arguments?: Node[];
  body?: Node;
  signature?: unknown;
  thunk?: boolean;
  keepArray?: boolean;
  keepSingletonArray?: boolean;
  consarray?: boolean;
  group?: unknown;
  focus?: unknown;
  tuple?: unknown;
  index?: unknown;
  ancestor?: unknown;
  seekingParent?: unknown;
  pattern?: unknown;
  update?: unknown;
  delete?: unknown;
  nextFunction?: unknown;
  expression?: Node;
}
