import { useEffect, useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import type { Attachment } from './Composer';
import { checkImageContent } from './image-sniffing';
import { validateImageFile } from './image-validation';

function imageFrom(
  items: DataTransferItemList | null | undefined,
  files: FileList | null | undefined,
): File | null {
  if (files && files.length > 0) return files[0];
  if (items) {
    for (const item of Array.from(items)) {
      if (item.kind === 'file') {
        const file = item.getAsFile();
        if (file) return file;
      }
    }
  }
  return null;
}

/**
 * The image being attached in a conversation: checked (type, size, magic bytes) when picked,
 * its preview URL owned here until the image is sent or dropped.
 */
export function useImageAttachment() {
  const [attachment, setAttachment] = useState<Attachment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const attachmentRef = useRef<Attachment | null>(null);

  useEffect(() => {
    attachmentRef.current = attachment;
  }, [attachment]);
  useEffect(
    () => () => {
      if (attachmentRef.current) URL.revokeObjectURL(attachmentRef.current.previewUrl);
    },
    [],
  );

  async function pick(file: File) {
    const problem = validateImageFile(file) ?? (await checkImageContent(file));
    if (problem) {
      setError(problem);
      return;
    }
    setError(null);
    setAttachment((previous) => {
      if (previous) URL.revokeObjectURL(previous.previewUrl);
      return { file, previewUrl: URL.createObjectURL(file) };
    });
  }

  function cancel() {
    if (attachment) URL.revokeObjectURL(attachment.previewUrl);
    setAttachment(null);
    setError(null);
  }

  /** Hands the attachment over to be sent (its preview URL is released here). */
  function take(): Attachment | null {
    if (!attachment) return null;
    URL.revokeObjectURL(attachment.previewUrl);
    setAttachment(null);
    return attachment;
  }

  return {
    attachment,
    error,
    pick: (file: File) => void pick(file),
    cancel,
    take,
    setSize: (width: number, height: number) =>
      setAttachment((a) => (a ? { ...a, width, height } : a)),
    setCaption: (caption: string) => setAttachment((a) => (a ? { ...a, caption } : a)),
  };
}

/** An image dropped on, or pasted into, the conversation is picked; plain text pastes as usual. */
export function useImageDrop(pick: (file: File) => void) {
  const [dragging, setDragging] = useState(false);
  return {
    dragging,
    handlers: {
      onDragOver(event: DragEvent) {
        if (!Array.from(event.dataTransfer.types).includes('Files')) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        if (!dragging) setDragging(true);
      },
      onDragLeave(event: DragEvent) {
        if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
        setDragging(false);
      },
      onDrop(event: DragEvent) {
        event.preventDefault();
        setDragging(false);
        const file = imageFrom(event.dataTransfer.items, event.dataTransfer.files);
        if (file) pick(file);
      },
      onPaste(event: ClipboardEvent) {
        const file = imageFrom(event.clipboardData.items, event.clipboardData.files);
        if (!file) return;
        event.preventDefault();
        pick(file);
      },
    },
  };
}
