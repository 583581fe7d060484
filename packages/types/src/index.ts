export { IrisError } from "./iris-error.ts";
export { Tuid, TuidGenerator, defaultTuidGenerator } from "./tuid.ts";
