import { ApiProperty } from '@nestjs/swagger';

export class CreatedApiKeyDto {
  @ApiProperty({ example: 'key_01JEX3M5V8Q2T9ZK7W4N6R1B3C' })
  id!: string;

  @ApiProperty({ description: 'The API key. Shown only in this response; store it now.', example: 'cpk_…' })
  key!: string;

  @ApiProperty({
    description: 'The first characters of the key, to recognise it later',
    example: 'cpk_Ab3xYz',
  })
  prefix!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}
