/** What one account may override for one resource and method: JSONata like the definition's own hooks. */
export interface MethodOverride {
  /** Deep-merged over the mapped remote body (input: the unified body). */
  body?: string;
  /** Merged over the mapped remote query (input: the unified query). */
  query?: string;
  /** Keys merged over the unified record (input: the same remote record), e.g. one customer's custom field. */
  response?: string;
}

/** `account.overrides["user-directory/users"].get = { response: "{ 'cost_center': profile.costCenter }" }` */
export type AccountOverrides = Record<string, Record<string, MethodOverride>>;
