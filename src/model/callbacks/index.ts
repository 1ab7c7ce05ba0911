export { type Callback, type Logs } from './callback.js';
export { History } from './history.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { LearningRateScheduler } from './lr-scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.js';
export { CSVLogger } from './csv-logger.js';
export { CallbackList } from './callback-list.js';
export { ProgbarLogger, type ProgbarLoggerOptions } from './progbar-logger.js';
