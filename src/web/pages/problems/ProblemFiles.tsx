import { problemKey, type ProblemDetail } from '../../api/problems.ts';
import { OwnerFiles } from '../../components/OwnerFiles.tsx';

/** 附件: the problem's photos and documents (also those sent with its steps); those who take part may add more. */
export function ProblemFiles({ problem }: { problem: ProblemDetail }) {
  // Who may add files is the server's call; those who may act on the problem are the ones who take part.
  return (
    <OwnerFiles
      filesPath={`/api/problems/${problem.id}/files`}
      queryKey={[...problemKey(problem.id), 'files']}
      canUpload={problem.actions.length > 0}
      uploadTestId="problem-file-upload"
    />
  );
}
