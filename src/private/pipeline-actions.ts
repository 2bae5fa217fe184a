/**
 * What starting a pipeline takes: the IAM reference lists `imagebuilder:GetImagePipeline` as an
 * action `StartImagePipelineExecution` depends on.
 */
export const START_EXECUTION_ACTIONS = ['imagebuilder:StartImagePipelineExecution', 'imagebuilder:GetImagePipeline'];
