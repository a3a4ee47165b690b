import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiError } from '@codeplanet/service-kit';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, decodeCursor, type PageRequest } from './pagination.js';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export function pageRequestOf(query: PageQueryDto): PageRequest {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  if (query.cursor !== undefined && after === null) {
    throw new ApiError(400, 'invalid_cursor', 'cursor is not a next_cursor this API returned', [
      { field: 'cursor', message: 'is not valid' },
    ]);
  }
  return { limit: query.limit ?? DEFAULT_PAGE_SIZE, after };
}
