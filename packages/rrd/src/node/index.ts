export { RRD_FILE_READ_BYTES, type RrdFileEventsOptions, rrdFileEvents } from "./rrd-file-events.ts";
