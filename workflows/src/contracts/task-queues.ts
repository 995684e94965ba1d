/** The task queue every Fledge workflow and activity runs on unless the configuration names another. */
export const FLEDGE_TASK_QUEUE = 'fledge';
