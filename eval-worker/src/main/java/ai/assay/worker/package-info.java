/**
 * The worker service: claims jobs, loads models, runs tasks, judges and delivers callbacks.
 */
package ai.assay.worker;
